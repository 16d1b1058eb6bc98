"""One journal of domain events: accounts, attachments, memberships, dossiers and every
step of the season. An entry outlives the territory and the person it names."""
