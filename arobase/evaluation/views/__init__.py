"""The season's pages, one module per audience (jury and evaluators, staff, Conseil
d'Orientation, candidates). They read requests and render; what the season does lives
in the domain modules one level up (phases, reviewing, deliberation, publication…),
which never import a view."""
