"""The policy lifecycle: documents as records, successor versions drafted, checked and published by the
bureau without code (issue 14). One service layer (`services`) behind the page, the API and the CLI."""
