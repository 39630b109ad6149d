"""The Commander Throne (issue 13): what operators watch, read from the platform's own data."""
