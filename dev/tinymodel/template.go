package main

// chatTemplate is the tiny model's prompt template: ChatML, with a tool section in the
// style of Ollama's qwen2.5 templates. Its use of .Tools is what makes Ollama report
// the "tools" capability.
//
// Unlike qwen2.5, a tool call is a bare JSON object, not one wrapped in <tool_call>
// tags. Ollama takes the marker of a tool call from the first text of the template's
// .ToolCalls section; with "{" there, an answer that is a JSON object naming one of
// the tools becomes a tool call. The tiny model cannot write a <tool_call> tag, but a
// format schema can make it write {"name": "escalate_to_human", "arguments": {...}},
// which is how tests get a real tool call out of it.
const chatTemplate = `{{- if .Messages }}
{{- if or .System .Tools }}<|im_start|>system
{{- if .System }}
{{ .System }}
{{- end }}
{{- if .Tools }}

# Tools

You may call one or more functions to assist with the user query.

You are provided with function signatures within <tools></tools> XML tags:
<tools>
{{- range .Tools }}
{"type": "function", "function": {{ json .Function }}}
{{- end }}
</tools>

To call a function, answer with nothing but a JSON object with the function name and arguments, one per line:
{"name": <function-name>, "arguments": <args-json-object>}
{{- end }}<|im_end|>
{{ end }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 -}}
{{- if eq .Role "user" }}<|im_start|>user
{{ .Content }}<|im_end|>
{{ else if eq .Role "assistant" }}<|im_start|>assistant
{{ if .Content }}{{ .Content }}
{{- else if .ToolCalls }}{{ range .ToolCalls }}{"name": "{{ .Function.Name }}", "arguments": {{ .Function.Arguments }}}
{{ end }}
{{- end }}{{ if not $last }}<|im_end|>
{{ end }}
{{- else if eq .Role "tool" }}<|im_start|>user
<tool_response>
{{ .Content }}
</tool_response><|im_end|>
{{ end }}
{{- if and (ne .Role "assistant") $last }}<|im_start|>assistant
{{ end }}
{{- end }}
{{- else }}
{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{ if .Prompt }}<|im_start|>user
{{ .Prompt }}<|im_end|>
{{ end }}<|im_start|>assistant
{{ end }}{{ .Response }}{{ if .Response }}<|im_end|>{{ end }}`
