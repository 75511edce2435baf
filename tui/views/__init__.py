"""The images, volumes and networks views (issue 14): one screen each over the dashboard."""
