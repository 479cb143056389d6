"""The shell: settings, session state, routing, theme, i18n; wires services into views."""
