/** Catches render errors (including a page chunk that failed to load) so the shell stays usable. */
import { Component, type ReactNode } from 'react';
import { Alert } from '../components/alert.js';

interface Props {
  /** Text shown instead of the failed subtree. */
  message: (error: unknown) => string;
  children: ReactNode;
}

/** Error boundary around the routed page. */
export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override render(): ReactNode {
    if (this.state.error !== null) return <Alert tone="error">{this.props.message(this.state.error)}</Alert>;
    return this.props.children;
  }
}
