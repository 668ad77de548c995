/** A new instance of a repeating form (a concomitant medication, an unscheduled visit …). */
import type { PageProps } from '../app/routes.js';
import { FormPageView } from './form-page.js';

/** The form page for a new instance; saving creates it and moves to its own page. */
export default function FormNewPage(props: PageProps) {
  return <FormPageView {...props} isNew />;
}
