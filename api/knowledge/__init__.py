"""Clinical knowledge: ICD-10-CM, the medication catalogue and its interactions, search, and
FHIR R4 import, export and mapping."""
