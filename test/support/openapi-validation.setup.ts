// Jest setup of the e2e project: a test fails when an answer it received from the service did not
// match openapi.json (test/support/openapi-validation.ts); answers finishing after the last test fail the file.
import { assertResponsesDocumented } from './openapi-validation';

afterEach(() => assertResponsesDocumented());
afterAll(() => assertResponsesDocumented());
