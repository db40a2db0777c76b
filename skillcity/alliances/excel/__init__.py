"""The three D000 forms as .xlsx in their official layouts, and reading filled forms back."""
