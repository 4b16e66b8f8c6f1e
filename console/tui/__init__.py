"""The Textual console. Screens call services (through the app's Session) and draw what they return."""
