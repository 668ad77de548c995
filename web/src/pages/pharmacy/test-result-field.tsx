/** A laboratory test result (negative / positive / …) chosen from the API's list, in the pharmacy's words. */
import type { TestResult } from '../../api/randomization-api.js';
import { TEST_RESULTS } from '../../api/randomization-api.js';
import { SelectField } from '../../components/field.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

export function TestResultField({
  id,
  label,
  value,
  error,
  onValue,
}: {
  id: string;
  label: string;
  value: TestResult;
  error: string | undefined;
  onValue: (value: TestResult) => void;
}) {
  const { pt } = usePharmacyStrings();
  return (
    <SelectField
      id={id}
      label={label}
      value={value}
      onChange={(e) => onValue(e.target.value as TestResult)}
      error={error}
    >
      {TEST_RESULTS.map((r) => (
        <option key={r} value={r}>
          {pt(`donors.results.${r}`)}
        </option>
      ))}
    </SelectField>
  );
}
