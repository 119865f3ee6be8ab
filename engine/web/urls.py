"""Root URLs: signing in and out, the admin, and the pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(template_name="pages/sign_in.html",
                                                  redirect_authenticated_user=True),
         name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("admin/", admin.site.urls),
    path("", include("engine.web.pages.urls")),
]
