"""Channel-neutral types shared by every channel adapter and every handler."""
