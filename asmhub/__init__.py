"""ASM Hub: the project package (settings, root URLs, cross-app pages) and the shared kernel."""
