import type { Provider } from '../../../../shared/contract';
import { Card } from '../../components/ui';
import { MachineColumn } from './MachineColumn';

/**
 * "Which box should run this model": both machines' hardware, live load and each model's verdict
 * from its own machine, side by side.
 */
export function MachineCompare({ remote }: { remote: Provider }): React.JSX.Element {
  return (
    <Card aria-label={`This machine vs ${remote.name}`} data-testid="machine-compare">
      <h2 className="mb-4 text-sm font-semibold">This machine vs {remote.name}</h2>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-2 md:divide-x md:divide-stone-100 md:dark:divide-stone-800">
        <MachineColumn id="local" title="This machine" />
        <div className="md:pl-6">
          <MachineColumn id={remote.id} title={remote.name} />
        </div>
      </div>
    </Card>
  );
}
