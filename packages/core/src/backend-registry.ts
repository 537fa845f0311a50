import { BackendError } from './errors.js';
import type { IBackend, IBackendRegistry } from './contracts/backend.js';

/** The backends loaded in this process, keyed by plugin name, with the configured default. */
export class BackendRegistry implements IBackendRegistry {
  private readonly byName = new Map<string, IBackend>();

  constructor(private readonly defaultName: string) {}

  /** Adds a loaded backend under its plugin name. */
  add(name: string, backend: IBackend): void {
    this.byName.set(name, backend);
  }

  forName(name: string | null): IBackend {
    const wanted = name && name.length > 0 ? name : this.defaultName;
    const backend = this.byName.get(wanted);
    if (!backend) {
      throw new BackendError(`backend ${wanted} is not loaded in this process (loaded: ${this.names().join(', ') || 'none'}); add it to the backends option`);
    }
    return backend;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
