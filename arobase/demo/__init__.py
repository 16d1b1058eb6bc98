"""The top layer: demonstration and benchmark data. It builds on every app below (labels,
actions, accounts, dossiers, evaluation) and nothing imports it but its commands."""
