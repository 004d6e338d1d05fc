/** Desktop password hashes (scrypt, salted): never the password itself. */
import type { PasswordRepo } from '../domain/passwords.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';

export class SqlPasswordRepo implements PasswordRepo {
  constructor(private readonly db: SqlExecutor) {}

  async set(desktopId: string, subjectId: string, hash: string, at: Date): Promise<void> {
    await this.db.run('DELETE FROM desktop_passwords WHERE desktop_id = ? AND subject_id = ?', [desktopId, subjectId]);
    await this.db.run('INSERT INTO desktop_passwords (desktop_id, subject_id, hash, created_at) VALUES (?, ?, ?, ?)', [
      desktopId, subjectId, hash, at.getTime(),
    ]);
  }

  async get(desktopId: string, subjectId: string): Promise<string | undefined> {
    const row = await this.db.get<{ hash: string }>('SELECT hash FROM desktop_passwords WHERE desktop_id = ? AND subject_id = ?', [desktopId, subjectId]);
    return row?.hash;
  }

  deleteOfDesktop(desktopId: string): Promise<number> {
    return this.db.run('DELETE FROM desktop_passwords WHERE desktop_id = ?', [desktopId]);
  }
}
