/** Entry point of the participant pages (`/p/`): a separate, small bundle (React and our own code only). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './participant.css';

const container = document.getElementById('root');
if (!container) throw new Error('participant.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
