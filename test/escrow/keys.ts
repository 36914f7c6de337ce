// Throwaway OpenPGP keys for the tests: the escrow agent's and the registry's, written as armored files.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as openpgp from 'openpgp';

export interface KeyFiles { agentPublic: string; agentPrivate: string; registryPublic: string; registryPrivate: string }

export async function makeKeys(dir: string): Promise<KeyFiles> {
  const gen = (name: string) => openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name, email: `${name.toLowerCase().replace(/\W+/g, '-')}@example.az` }], format: 'armored' });
  const [agent, registry] = await Promise.all([gen('Escrow Agent'), gen('Registry Escrow Signing')]);
  const f: KeyFiles = {
    agentPublic: path.join(dir, 'agent.pub.asc'), agentPrivate: path.join(dir, 'agent.key.asc'),
    registryPublic: path.join(dir, 'registry.pub.asc'), registryPrivate: path.join(dir, 'registry.key.asc'),
  };
  writeFileSync(f.agentPublic, agent.publicKey); writeFileSync(f.agentPrivate, agent.privateKey, { mode: 0o600 });
  writeFileSync(f.registryPublic, registry.publicKey); writeFileSync(f.registryPrivate, registry.privateKey, { mode: 0o600 });
  return f;
}
