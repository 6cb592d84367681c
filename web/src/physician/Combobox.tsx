// A search box that suggests as one types (the ARIA 1.2 combobox pattern): arrows move through
// the suggestions, Enter picks one, Escape closes them. The server searches; this only shows.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

export type Suggestion = { value: string; label: string };

type Props = {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** Suggestions for the text typed (called at most every 200 ms, from 2 characters). */
  search: (text: string) => Promise<Suggestion[]>;
  onPick: (picked: Suggestion) => void;
  /** Clear the box after a pick (a list of picks), or keep the picked label (one pick). */
  clearOnPick?: boolean;
  initialText?: string;
};

export function Combobox(props: Props) {
  const listId = useId();
  const [text, setText] = useState(props.initialText ?? "");
  const [options, setOptions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const [searched, setSearched] = useState("");
  // Leaving the box closes the list a moment later (a click on an option lands first); coming
  // back before then cancels it, or typing at once would find the list closed under it.
  const closing = useRef<number | undefined>(undefined);
  const { search } = props;

  useEffect(() => {
    const query = text.trim();
    if (query.length < 2) {
      setOptions([]);
      setSearched("");
      return;
    }
    let live = true;
    const timer = window.setTimeout(async () => {
      setSearching(true);
      const found = await search(query);
      if (!live) return;
      setSearching(false);
      setOptions(found);
      setSearched(query);
      setActive(found.length ? 0 : -1);
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, search]);

  function pick(option: Suggestion) {
    props.onPick(option);
    setText(props.clearOnPick ? "" : option.label);
    setOpen(false);
    setOptions(props.clearOnPick ? [] : options);
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === "Enter") {
      if (open && options[active]) {
        event.preventDefault();
        pick(options[active]);
      }
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  }

  const shown = open && options.length > 0;
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const statusId = `${props.id}-status`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={props.error ? "field combobox invalid" : "field combobox"}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={keyDown}
        onFocus={() => window.clearTimeout(closing.current)}
        onBlur={() => {
          closing.current = window.setTimeout(() => setOpen(false), 150);
        }}
      />
      <ul id={listId} role="listbox" aria-label={`${props.label}: suggestions`} className="suggestions" hidden={!shown}>
        {options.map((option, i) => (
          <li
            key={option.value}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(option);
            }}
          >
            {option.label}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status" id={statusId}>
        {searching ? "Searching…" : searched ? `${options.length} suggestions for ${searched}` : ""}
      </p>
      {props.error ? (
        <p className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
