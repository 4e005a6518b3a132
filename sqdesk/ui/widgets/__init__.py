"""Small reusable widgets and resource helpers shared by the views."""
