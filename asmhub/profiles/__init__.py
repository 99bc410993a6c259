"""People and organisations: the email-login user, member profiles, organisations."""
