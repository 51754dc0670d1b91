// The console's single page: a navigation bar and the page the hash route names.
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { useApi, useRoute } from './hooks';
import { ReadOnlyNotice, SessionContext, type Session } from './session';
import { PipelinePage } from './pages/pipeline';
import { OverviewPage } from './pages/overview';
import { TopicsPage } from './pages/topics';
import { TopicPage } from './pages/topic';
import { MessagesPage } from './pages/messages';
import { GroupsPage, GroupPage } from './pages/groups';
import { SchemasPage } from './pages/schemas';
import { ConnectorsPage } from './pages/connectors';
import { SqlPage } from './pages/sql';

const NAVIGATION: [string, string][] = [
  ['pipeline', 'Pipeline'],
  ['', 'Overview'],
  ['topics', 'Topics'],
  ['messages', 'Messages'],
  ['groups', 'Consumer groups'],
  ['schemas', 'Schemas'],
  ['connectors', 'Connectors'],
  ['sql', 'SQL'],
];

function Page({ parts, query }: { parts: string[]; query: URLSearchParams }) {
  const [section, id] = parts;
  switch (section) {
    case undefined:
      return <OverviewPage />;
    case 'pipeline':
      return <PipelinePage />;
    case 'topics':
      return id ? <TopicPage name={id} /> : <TopicsPage />;
    case 'messages':
      return (
        <MessagesPage
          key={id ?? ''}
          topic={id ?? query.get('topic') ?? ''}
          initialPartition={query.get('partition') ?? ''}
        />
      );
    case 'groups':
      return id ? <GroupPage id={id} /> : <GroupsPage />;
    case 'schemas':
      return <SchemasPage subject={id ?? null} />;
    case 'connectors':
      return <ConnectorsPage />;
    case 'sql':
      return <SqlPage />;
    default:
      return <p>No page here. Choose one from the menu.</p>;
  }
}

const NO_SESSION: Session = { user: null, readOnly: false };

function App() {
  const route = useRoute();
  const current = route.parts[0] ?? '';
  const session = useApi<Session>('/api/session').data ?? NO_SESSION;
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <nav class="sections" aria-label="Console sections">
        <span class="brand">Venice</span>
        <ul>
          {NAVIGATION.map(([path, label]) => (
            <li key={path}>
              <a href={`#/${path}`} aria-current={current === path ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <ReadOnlyNotice />
        <Page parts={route.parts} query={route.query} />
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
