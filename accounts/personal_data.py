"""Which fields hold personal information, declared once for every model.

PERSONAL lists, per model, the fields that say something about a person and are
erased when that person's data is deleted (matching.services.privacy); NOT_PERSONAL
lists the other text, e-mail, phone, file and address fields, each for a reason
(a category, a status, a company's or staff's own text, a job's bookkeeping).
tests/accounts/test_personal_data.py walks every model, history models
included, and fails on a field in neither list: a new field is classified when
it is added, not discovered after a leak.
"""

PERSONAL: dict[str, set[str]] = {
    "accounts.User": {"email", "full_name", "phone", "first_name", "last_name", "password"},
    "accounts.ResearcherProfile": {"department", "disciplines", "keywords", "bio", "languages",
                                   "review_note"},
    "accounts.Work": {"title", "abstract", "keywords", "identifier", "source"},
    # A company's contact person is a person; erased when that person is.
    "accounts.Company": {"contact_name", "contact_phone", "contact_email"},
    "accounts.Consent": {"ip_address"},
    # The person's own writing, and what was written to or about them.
    "matching.Application": {"proposal", "team", "timeline", "decision_message"},
    "matching.Placement": {"review_note"},
    "matching.Agreement": {"end_reason"},
    "matching.CohortPair": {"note"},
    "matching.Notification": {"subject", "body", "url"},
    "matching.MatchScore": {"components"},  # the reasons quote the person's own terms
    # After the approval (issue 16): the person's days, their year, their pay.
    "matching.ServiceLog": {"place", "work", "photo", "query_reason"},
    "matching.Evaluation": {"self_report", "company_opinion", "grade_note"},
    "matching.SubsidyClaim": {"salaries", "explanation", "review_note"},
    "matching.Outcome": {"evidence", "review_note", "dispute_reason"},
    # The bounty's expert review (issue 17): an expert's profile and writing, what was
    # written about an applicant, an objector's reasons, a result that names the person.
    "matching.Expert": {"disciplines", "keywords", "bio", "conflicts_declared", "review_note"},
    "matching.PanelMember": {"decline_reason"},
    "matching.Review": {"comment"},
    "matching.Objection": {"reasons", "review_note"},
    "matching.Publicity": {"summary"},
}

NOT_PERSONAL: dict[str, set[str]] = {
    "accounts.User": {"language"},
    "accounts.IndustryPlatform": {"code", "name", "name_en"},
    "accounts.IndustryCluster": {"code", "name", "name_en"},
    "accounts.LeadingIndustry": {"code", "name", "name_en"},
    "accounts.Institution": {"name", "name_en", "kind"},
    # The organisation's own record (its address is a registered business address).
    "accounts.Company": {"name", "credit_code", "size", "address", "review_note"},
    "accounts.CompanyMembership": {"role"},
    "accounts.Invitation": {"status"},
    # Categories the statistics count by (title and degree), kept on the anonymous row.
    "accounts.ResearcherProfile": {"title", "degree"},
    "accounts.Work": {"kind"},
    "accounts.LegalText": {"kind", "body_zh", "body_en"},
    "accounts.Consent": {"kind"},
    "accounts.DeletionRequest": {"status", "reason"},
    "accounts.PersonalDataExport": {"what"},  # names a table, not a person
    "matching.Cohort": {"name"},
    "matching.CohortPair": {"kind"},
    "matching.CohortRun": {"status", "step", "result", "error", "worker"},
    # A need is the company's text.
    "matching.Challenge": {"programme", "title", "background", "goals", "indicators",
                           "required_expertise", "preferred_disciplines", "ip_terms",
                           "confidentiality", "status", "review_note", "withdraw_reason"},
    "matching.Application": {"status", "close_reason"},
    "matching.Placement": {"programme", "post", "status"},
    # A verified outcome stays, anonymous, in the statistics: what it is, not who.
    "matching.Outcome": {"kind", "title", "identifier", "patent_status", "funding_programme",
                         "status", "registration_number", "registration_office",
                         "contract_type", "contract_parties"},
    "matching.Agreement": {"status", "ip_terms", "terms"},
    "matching.AgreementSignature": {"party"},
    "matching.Notification": {"event_key"},
    "matching.StatsSnapshot": {"figures"},
    "matching.OutboxTask": {"task", "args", "error"},
    "matching.MatchScore": {"engine_version"},
    "matching.DocumentFeatures": {"kind", "engine_version", "content_hash"},
    "matching.MatchRun": {"key", "engine_version", "status", "worker", "error"},
    "matching.SemanticSpace": {"engine_version"},
    "matching.ChallengeSearch": {"public", "full", "title"},
    "matching.SearchSynonym": {"terms", "note"},
    # Issue 18: a registered contract is between organisations; a funding programme and a
    # frozen report (ids, what each outcome is, figures) name no person.
    "matching.FundingProgramme": {"code", "level", "name", "name_en"},
    "matching.FrozenReport": {"reason", "figures", "rows", "checksum"},
    # The 55830 plan's actions: the district's reference data.
    "matching.PlanAction": {"code", "kind", "name", "name_en"},
    # Issue 16: kinds, statuses and the district's policy.
    "matching.ServiceLog": {"status"},
    "matching.ServiceNotice": {"kind"},
    "matching.Evaluation": {"kind", "status", "grade"},
    "matching.SubsidyPolicy": {"programme", "name", "status"},
    "matching.SubsidyClaim": {"status"},
    # Issue 17: categories, statuses and the district's rubric.
    "matching.Expert": {"title", "status"},
    "matching.Panel": {"purpose", "status"},
    "matching.PanelMember": {"status"},
    "matching.Rubric": {"programme", "name"},
    "matching.RubricCriterion": {"name", "name_en"},
    "matching.Objection": {"status"},
}

# Every history model adds these: what kind of change, and a reason staff type.
HISTORY_FIELDS = {"history_type", "history_change_reason"}


def personal_fields(label: str) -> set[str]:
    return PERSONAL.get(label, set())
