"""The relational database: schema, sessions, status flow and migrations."""
