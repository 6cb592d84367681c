CREATE CONSTRAINT medication_transaction_id_unique IF NOT EXISTS FOR (n:MedicationTransaction) REQUIRE n.id IS UNIQUE
