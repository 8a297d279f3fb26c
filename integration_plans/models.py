"""Models of this app arrive with its issue; see ../shared/DOMAIN.md."""
