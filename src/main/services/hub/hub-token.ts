import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The shape the Hub issues; llama.cpp and huggingface.js drop anything else. */
export const isHubToken = (token: string): boolean => /^hf_[A-Za-z0-9]{34,253}$/.test(token);

/**
 * The Hugging Face token, found where huggingface_hub looks: the one entered in Hearth's
 * settings, HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), then the token file at
 * HF_TOKEN_PATH or $HF_HOME/token (default ~/.cache/huggingface/token).
 */
export function findHubToken(
  settingsToken: string | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string | undefined {
  const candidates = [settingsToken, env.HF_TOKEN, env.HUGGING_FACE_HUB_TOKEN];
  const hfHome = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'huggingface');
  try {
    candidates.push(readFileSync(env.HF_TOKEN_PATH ?? join(hfHome, 'token'), 'utf8'));
  } catch {
    // no token file
  }
  for (const candidate of candidates) {
    const token = candidate?.trim();
    if (token && isHubToken(token)) return token;
  }
  return undefined;
}
