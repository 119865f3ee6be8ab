"""The workspace's pages (server-rendered, usable without JavaScript)."""
