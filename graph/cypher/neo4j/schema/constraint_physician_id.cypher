CREATE CONSTRAINT physician_id_unique IF NOT EXISTS FOR (n:Physician) REQUIRE n.id IS UNIQUE
