/**
 * Fixed vectors: stored values printed by Dovecot 2.3.19 `doveadm pw -s SCHEME -p PASSWORD -u USER`
 * for {@link DOVECOT_PASSWORD} and {@link DOVECOT_USER}, one per scheme and suffix.
 */

/** The password every vector below was generated for (non-ASCII on purpose). */
export const DOVECOT_PASSWORD = 'Tr0ub4dor&3 pässwörd';
/** The user (DIGEST-MD5 uses it: user `alice`, realm `example.org`). */
export const DOVECOT_USER = 'alice@example.org';

/** [scheme as asked of doveadm, stored value it printed]. */
export const DOVECOT_VECTORS: readonly (readonly [string, string])[] = [
  ['PLAIN', '{PLAIN}Tr0ub4dor&3 pässwörd'],
  ['CLEAR', '{CLEAR}Tr0ub4dor&3 pässwörd'],
  ['CLEARTEXT', '{CLEARTEXT}Tr0ub4dor&3 pässwörd'],
  ['PLAIN-MD5', '{PLAIN-MD5}bf8db2ac111f2b92df9e22164190da9b'],
  ['LDAP-MD5', '{LDAP-MD5}v42yrBEfK5LfniIWQZDamw=='],
  ['SHA', '{SHA}4f0lwdsRGJZ8CnQXe8eQOOc4py4='],
  ['SHA1', '{SHA1}4f0lwdsRGJZ8CnQXe8eQOOc4py4='],
  ['SHA256', '{SHA256}2r2QgXYcNTqExd/CaFKGCPIk18FXSB+3TgeBELSvJXg='],
  ['SHA512', '{SHA512}J2bHxfzm1vKRYgD5o6cFI1c5KZ2vy67T0DoNrsIrTWk/XuAY0jdu0ETwD9uULovSZ4xcJkfQT+lrMiIbXubcgA=='],
  ['SSHA', '{SSHA}z88Ih5kKRI0x4pM4nGXyo7/QcOEQQVOO'],
  ['SSHA256', '{SSHA256}EcjX8i/0cHYpjA31/7eB4fCHiQ4oH7VhIY2PdJuNxD9Sr/1p'],
  ['SSHA512', '{SSHA512}hKHtoGA3GfoQ7YneVZNEqZZFrHdIHeeXrg3xSOjfK0NGMnWluTijbF/gFNJ1AL9ynUIglbDFdeEU4Ew8xdgweTpOYeQ='],
  ['SMD5', '{SMD5}5UVI8NoNpVUF0almxHe5N9vDpmY='],
  ['MD5', '{MD5}$1$h5WvsezA$0bvlyys/jIMAgdzgDJE1s/'],
  ['MD5-CRYPT', '{MD5-CRYPT}$1$fDdcW2OD$DTgFBi6LoH45Eb18MMM3k0'],
  ['SHA256-CRYPT', '{SHA256-CRYPT}$5$xJVlqHik6LERhQ9d$lBsEo0j4wdhw2E/lmGRiw1RHzKm43jCTh/jWZKWgp68'],
  [
    'SHA512-CRYPT',
    '{SHA512-CRYPT}$6$YfUWNAEFwMirGACE$7kVt2Wu3HHQTOKsXK4wFYNa6e5lMnA2HEpFULVx6cxCSCodJqWSgJ7/8CncIlhdpH8.Rgp/l.7fM/w.2i7SiO1',
  ],
  ['BLF-CRYPT', '{BLF-CRYPT}$2y$05$E6qPguKgyZ8x8bMCRkNGoeU/cu1CikAsm/rGVadxZ8gBYqDGNaWBG'],
  ['ARGON2I', '{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$cn2TTljZ2ZeenXCQnKEXiw$3WBPc/8nDvAtZdEC2YyR3VdrHr+DosO86ehGG7op6s4'],
  ['ARGON2ID', '{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$hxwyjETtxzHCBDHzR/vQ6w$P+6ZYtWdQL9hWZ981RX2E1jdTPFsiQF5qPfdq2BOTBI'],
  ['PBKDF2', '{PBKDF2}$1$8sC5DbyYXc08LKvu$5000$2795eb4ad0caa392287686ac66f99b035234a59d'],
  ['CRAM-MD5', '{CRAM-MD5}62082e647aefa437a957ba00beddb9b78bdeb4bc9195232bf650faef600f9166'],
  ['HMAC-MD5', '{HMAC-MD5}62082e647aefa437a957ba00beddb9b78bdeb4bc9195232bf650faef600f9166'],
  ['SCRAM-SHA-1', '{SCRAM-SHA-1}4096,swcQ2r5tuZVrAUk4OCkLmA==,Rl7wPlBowOWMrxPENwfJb+COWhQ=,P1c3b+O8zTGZBBqpVV94JO8bfJk='],
  [
    'SCRAM-SHA-256',
    '{SCRAM-SHA-256}4096,iHqhB4G0qyU6yZ75nAhRgQ==,XORHBYvAav78LvjtLBMZTz7bzzkrbF18SMdlkx1dWZs=,0nEO9IRcDT1Ok/tGnOKptqkxAjfP7MiH16J6IAxwZ0A=',
  ],
  ['CRYPT', '{CRYPT}$2y$05$XotXRLGrN./i3Qt2GebT8.FJbbQx8Hu7k7KMoTfgYDZTEr3tpMkEy'],
  ['DIGEST-MD5', '{DIGEST-MD5}f795255185ee3be9915f0131af70fdf0'],
  ['SHA256.HEX', '{SHA256.HEX}dabd9081761c353a84c5dfc268528608f224d7c157481fb74e078110b4af2578'],
  [
    'SSHA512.HEX',
    '{SSHA512.HEX}0f840099c5fe26ecc3ec01d92efea5722aa78157a5a8af58167e00fd8c73c0680f215fa8936919ac15241f0a3c7942fc36dd5a453c9f665a8bbe2d0c86580be2f04f41d2',
  ],
  ['PLAIN.B64', '{PLAIN.B64}VHIwdWI0ZG9yJjMgcMOkc3N3w7ZyZA=='],
  ['SHA1.BASE64', '{SHA1.BASE64}4f0lwdsRGJZ8CnQXe8eQOOc4py4='],
  ['PLAIN-MD5.B64', '{PLAIN-MD5.B64}v42yrBEfK5LfniIWQZDamw=='],
];

/** Rounds variants (password `x`). */
export const DOVECOT_ROUNDS_VECTORS: readonly (readonly [string, string])[] = [
  [
    'SHA512-CRYPT -r 1000',
    '{SHA512-CRYPT}$6$rounds=1000$6P6wMjXzpiwUbirT$VtzaZxdpDA5KP.HwmJLd5Tmr2oLjV4BcdJyJ36VuDw5hrJyrOy3wGtd5JApmkGov4oRd3Xvj/BKnV5eLfl4z41',
  ],
  ['SHA256-CRYPT -r 12345', '{SHA256-CRYPT}$5$rounds=12345$ZJ2O6vCVrKyIWFNI$U1NAS88SA9HFDvlWWxdo8TyR1njuVJeTzcKEa64wNg6'],
  ['BLF-CRYPT -r 4', '{BLF-CRYPT}$2y$04$j3kDl8Utv8KCY8SWFy0h9.GpItp26IDXam1vfQK9F/i4V1tUsacFm'],
  ['PBKDF2 -r 1', '{PBKDF2}$1$nOtNrD0rmUb.Znii$1$76cf74f007bed678071c9381610ba2b6387631b3'],
];
