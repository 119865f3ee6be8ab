"""The workspace's pages: server-rendered forms and links that work without JavaScript,
made live by htmx. They hold no domain logic: every score, status, reason, question order,
gap list and plan comes from the workspace's services, which ask the engine."""
