/** Browser entry of the admin UI. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { routerBasename } from './base-path';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App basename={routerBasename(document)} />
  </StrictMode>,
);
