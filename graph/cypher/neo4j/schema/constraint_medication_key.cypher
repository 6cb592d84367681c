CREATE CONSTRAINT medication_key_unique IF NOT EXISTS FOR (n:Medication) REQUIRE n.key IS UNIQUE
