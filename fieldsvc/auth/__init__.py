"""Staff, roles, login, API tokens and qualifications."""
