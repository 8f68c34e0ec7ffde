// The proof of work an anonymous token costs (see docs/admission.md): find a nonce so that SHA-256 of
// "challenge:nonce" starts with `bits` zero bits. WebCrypto's digest is asynchronous per call (far too slow
// for hundreds of thousands of tries), so this is a plain SHA-256 over ASCII input, giving only the first
// 32 bits of the hash (the server asks for at most 32 zero bits).

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const W = new Int32Array(64);
const H = new Int32Array(8);
let words = new Int32Array(64);

/** The first 32 bits of SHA-256 of an ASCII string (no allocation per call: it runs hundreds of thousands of times). */
export function sha256First32(text: string): number {
  const length = text.length;
  const blocks = ((length + 8) >> 6) + 1;
  if (words.length < blocks * 16) words = new Int32Array(blocks * 16);
  words.fill(0, 0, blocks * 16);
  for (let i = 0; i < length; i++) words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i & 3) * 8);
  words[length >> 2] |= 0x80 << (24 - (length & 3) * 8);
  words[blocks * 16 - 1] = length * 8;
  H.set(H0);
  for (let block = 0; block < blocks; block++) {
    const base = block * 16;
    for (let t = 0; t < 16; t++) W[t] = words[base + t];
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15];
      const w2 = W[t - 2];
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
    }
    let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], hh = H[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0;
    H[1] = (H[1] + b) | 0;
    H[2] = (H[2] + c) | 0;
    H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0;
    H[5] = (H[5] + f) | 0;
    H[6] = (H[6] + g) | 0;
    H[7] = (H[7] + hh) | 0;
  }
  return H[0] >>> 0;
}

/** Tries nonces 0, 1, 2, … in slices, yielding to the page between slices so it stays responsive. */
export async function solve(challenge: string, bits: number): Promise<string> {
  if (bits <= 0) return "0";
  const prefix = `${challenge}:`;
  for (let nonce = 0; ; ) {
    const end = nonce + 20_000;
    for (; nonce < end; nonce++) {
      if (Math.clz32(sha256First32(prefix + nonce)) >= bits) return String(nonce);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export interface Challenge {
  challenge: string;
  bits: number;
}

// Open for inspection: the browser tests time this very loop, and anyone can check what a token costs.
(globalThis as { dialogueProof?: unknown }).dialogueProof = { solve, sha256First32 };
