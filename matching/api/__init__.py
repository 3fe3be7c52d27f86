"""REST API v1 of the matching domain: needs, applications, placements, outcomes,
cohorts, matches, notifications and the district's figures."""
