CREATE CONSTRAINT surgery_phase_id_unique IF NOT EXISTS FOR (n:SurgeryPhase) REQUIRE n.id IS UNIQUE
