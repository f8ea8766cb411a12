/** The chat with nothing to chat with: leads to a model that fits this machine. */
export function NoModels(): React.JSX.Element {
  return (
    <div className="m-auto max-w-md space-y-3 p-8 text-center" data-testid="chat-empty">
      <h2 className="text-lg font-semibold">No model installed yet</h2>
      <p className="text-sm text-stone-500">
        Hearth reads your hardware and suggests models that fit it. Install one, then come back to chat:
        everything stays on this computer.
      </p>
      <a
        href="#/discover"
        className="inline-block rounded-md bg-ember-600 px-4 py-2 text-sm font-medium text-white hover:bg-ember-500"
      >
        Find a model that fits
      </a>
    </div>
  );
}
