"""The report dialog and its parts: settings form, preview, builder, history, printing."""
