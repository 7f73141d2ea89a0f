// What every long-lived piece of the extension owns and gives back. Structural, so vscode.Disposable fits and the
// vscode-free modules can use it too.

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): IDisposable {
  return { dispose };
}

/** Disposes each of `disposables` once, the last registered first. */
export function disposeAll(disposables: IDisposable[]): void {
  while (disposables.length > 0) disposables.pop()!.dispose();
}

/** A base for classes that own disposables: `_register` them as they are made; `dispose()` gives them all back. */
export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Owns `value` from now on; one registered after dispose() is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}
