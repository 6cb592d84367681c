// A labelled checkbox inside an ApiForm (the shared form has none): "yes" when checked.
import { fieldId } from "../shared/form";

export function Checkbox({ form, name, label }: { form: string; name: string; label: string }) {
  const id = fieldId(form, name);
  return (
    <div className="field checkbox">
      <label className="radio" htmlFor={id}>
        <input id={id} type="checkbox" name={name} value="yes" />
        {label}
      </label>
    </div>
  );
}
