"""The dashboard: the live container list, its panes (log tabs, shell tabs) and its actions."""
