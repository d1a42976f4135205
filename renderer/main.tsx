// First: configures zod before any schema parses (see the file for why).
import './zod-jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { ClientContext } from './app/client-context.js';
import { createTransport } from './client/create-client.js';
import { watchSession } from './client/session-watch.js';
import { sessionStore } from './stores/session-store.js';
import { themeStore } from './stores/theme-store.js';
import './styles/theme.css';
import './styles/base.css';
import './styles/forms.css';
import './styles/frame.css';
import './styles/tables.css';
import './styles/dialogs.css';
import './styles/engine.css';
import './styles/exceptions.css';
import './styles/outages.css';
import './styles/audit.css';

// Set the theme before the first paint, so a dark-mode operator never sees a white flash.
document.documentElement.dataset.theme = themeStore.getState().theme;

const client = watchSession(createTransport(window), {
  onStatus: (status) => sessionStore.getState().applyStatus(status),
  onLocked: () => sessionStore.getState().markLocked('refused'),
  onSignedOut: () => sessionStore.getState().markSignedOut('expired'),
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
