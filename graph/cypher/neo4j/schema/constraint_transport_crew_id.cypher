CREATE CONSTRAINT transport_crew_id_unique IF NOT EXISTS FOR (n:TransportCrew) REQUIRE n.id IS UNIQUE
