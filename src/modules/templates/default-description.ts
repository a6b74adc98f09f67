/**
 * Description used when the settings leave `description` empty: Handlebars
 * producing Jira wiki markup. Values are escaped by the engine according to
 * where they sit (table cell, link target, code block), so the template stays
 * plain. Blank lines matter: a Jira table ends at the first line that does not
 * start with `|`.
 */
export const DEFAULT_DESCRIPTION_TEMPLATE = `h3. {{title}}
{{#if link}}

[View in the error tracker|{{link}}]
{{/if}}

||Occurrences|{{count}}|
||First seen|{{firstSeen}}|
||Last seen|{{lastSeen}}|
||State|{{state}}|
||Fingerprint|{{fingerprint}}|
{{#if classifiers.length}}
||Classifiers|{{join classifiers ", "}}|
{{/if}}
{{#each attributes}}
{{#if @first}}

h4. Top attribute values
||Attribute||Top value||Count||
{{/if}}
|{{@key}}|{{top}}|{{topCount}}|
{{/each}}
{{#if callstack.length}}

h4. Callstack
{code}
{{#each callstack}}
{{this}}
{{/each}}
{code}
{{/if}}
`;
