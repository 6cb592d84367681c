// The peer of `make bench-neo4j`: the official @neo4j/graphql library on Apollo Server, with
// typeDefs mapped onto the labels, relationship types and properties HDT projects into Neo4j.
// Usage: node server.mjs BOLT_URL PORT. Prints "PEER-READY <url>" once it listens.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import net from "node:net";

const [boltUrl, port] = process.argv.slice(2);

const typeDefs = /* GraphQL */ `
  type Patient @node {
    id: ID!
    givenName: String @alias(property: "given_name")
    familyName: String @alias(property: "family_name")
    birthDate: String @alias(property: "birth_date")
    sex: String
    mrn: String
    status: String
    admittedAt: String @alias(property: "admitted_at")
    stages: [Stage!]! @relationship(type: "HAS_STAGE", direction: OUT)
    transactions: [MedicationTransaction!]! @relationship(type: "HAS_TRANSACTION", direction: OUT)
    physicians: [Physician!]! @relationship(type: "CARES_FOR", direction: IN)
    crews: [TransportCrew!]! @relationship(type: "BROUGHT_IN", direction: IN)
  }

  type Stage @node {
    id: ID!
    stage: String!
    at: String!
    patientId: String @alias(property: "patient_id")
    observations: [Observation!]! @relationship(type: "HAS_OBSERVATION", direction: OUT)
    diseases: [Disease!]! @relationship(type: "DIAGNOSED_AS", direction: OUT)
  }

  type Observation @node {
    id: ID!
    code: String!
    name: String
    at: String!
    value: Float
    unit: String
    patientId: String @alias(property: "patient_id")
    stage: [Stage!]! @relationship(type: "HAS_OBSERVATION", direction: IN)
  }

  type Disease @node {
    key: String!
    system: String
    code: String!
    display: String
  }

  type MedicationTransaction @node {
    id: ID!
    kind: String!
    at: String!
    dose: Float
    unit: String
    medication: [Medication!]! @relationship(type: "OF", direction: OUT)
  }

  type Medication @node {
    key: String!
    code: String
    name: String
  }

  type Physician @node {
    id: ID!
    displayName: String @alias(property: "display_name")
    specialty: String
  }

  type TransportCrew @node {
    id: ID!
    displayName: String @alias(property: "display_name")
    company: String
  }
`;

// The JavaScript driver leaves Nagle's algorithm on for Bolt, and its small writes then wait
// for Neo4j's delayed ACK: ~40 ms on every request at one client (measured here: a twin read
// at 67-81 ms against 25-30 ms without). Python's driver sets TCP_NODELAY; so does the peer,
// so that it is measured at its best.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  this.setNoDelay(true);
  return connect.apply(this, args);
};
const driver = neo4j.driver(boltUrl);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(port) } });
console.log(`PEER-READY ${url}`);
