// Creating a connector from a form: the plugin (from the worker's plugin list), a name, the topics a
// sink reads, a JDBC connection URL where the plugin takes one, and any other settings as name=value
// lines. The same config can be created from JSON instead.
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from '../components';

export interface Plugin {
  class: string;
  type: string;
  version?: string;
}
export interface NewConnector {
  name: string;
  config: Record<string, string>;
}

function takesConnectionUrl(pluginClass: string): boolean {
  return /jdbc|postgres/i.test(pluginClass);
}

/** Settings worth starting from, by plugin: what a first pipeline usually sets. */
function suggestedSettings(plugin: Plugin | undefined): string {
  if (!plugin) return '';
  if (plugin.type === 'sink' && takesConnectionUrl(plugin.class))
    return 'auto.create=true\ninsert.mode=insert';
  if (/file/i.test(plugin.class))
    return plugin.type === 'sink' ? 'file=/tmp/out.txt' : 'file=/tmp/in.txt\ntopic=lines';
  if (takesConnectionUrl(plugin.class)) return 'table.whitelist=orders\ntopic.prefix=pg-';
  return '';
}

/** name=value lines into a config; blank lines and # comments are skipped. */
export function parseSettings(text: string): Record<string, string> {
  const config: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals <= 0)
      throw new Error(`other settings, line ${index + 1}: write name=value (got ${JSON.stringify(line)})`);
    config[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  });
  return config;
}

export function ConnectorForm({
  plugins,
  onCreate,
}: {
  plugins: Plugin[];
  onCreate: (connector: NewConnector) => Promise<void>;
}) {
  const [pluginClass, setPluginClass] = useState('');
  const [name, setName] = useState('');
  const [topics, setTopics] = useState('');
  const [connectionUrl, setConnectionUrl] = useState('');
  const [settings, setSettings] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const plugin = plugins.find((candidate) => candidate.class === pluginClass);

  // The first sink is the likeliest choice; each choice starts from its suggested settings.
  useEffect(() => {
    if (pluginClass === '' && plugins.length > 0)
      setPluginClass((plugins.find((candidate) => candidate.type === 'sink') ?? plugins[0]).class);
  }, [plugins, pluginClass]);
  useEffect(() => setSettings(suggestedSettings(plugin)), [pluginClass, plugin?.type]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const config: Record<string, string> = { 'connector.class': pluginClass };
      if (plugin?.type === 'sink') config.topics = topics.trim();
      // Left empty, a sink writes to the pipeline's own PostgreSQL (the worker's default), as the
      // template's connectors do.
      if (takesConnectionUrl(pluginClass) && connectionUrl.trim() !== '')
        config['connection.url'] = connectionUrl.trim();
      Object.assign(config, parseSettings(settings));
      await onCreate({ name: name.trim(), config });
    } catch (failure) {
      setError(failure as Error);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-label="Create a connector from a form">
      <h2>Create a connector</h2>
      <div class="form-row">
        <label>
          Plugin
          <select required value={pluginClass} onChange={(e) => setPluginClass(e.currentTarget.value)}>
            {plugins.map((candidate) => (
              <option key={candidate.class} value={candidate.class}>
                {candidate.class} ({candidate.type})
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            required
            pattern="[A-Za-z0-9._-]+"
            title="letters, digits, dots, underscores and hyphens"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        {plugin?.type === 'sink' ? (
          <label>
            Topics (comma-separated)
            <input required value={topics} onInput={(e) => setTopics(e.currentTarget.value)} />
          </label>
        ) : null}
      </div>
      {takesConnectionUrl(pluginClass) ? (
        <label class="block">
          Connection URL
          <input
            value={connectionUrl}
            placeholder="empty: the pipeline's PostgreSQL; or jdbc:postgresql://host:5432/db?user=me"
            onInput={(e) => setConnectionUrl(e.currentTarget.value)}
          />
        </label>
      ) : null}
      <label class="block">
        Other settings (one name=value a line)
        <textarea
          rows={4}
          spellcheck={false}
          value={settings}
          onInput={(e) => setSettings(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Create connector</button>
      <ErrorBox error={error} />
    </form>
  );
}
