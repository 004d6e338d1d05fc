/**
 * `clouddesk completion bash|zsh`: a completion script generated from the commander tree, so
 * it always knows every command and flag. Each command path ("desktops image") maps to the
 * words that may follow it: its subcommands and its flags.
 *
 *   source <(clouddesk completion bash)
 */
import { Command } from 'commander';
import { local } from './shared/action.js';
import { UsageError } from './shared/globals.js';

function table(cmd: Command, path: string[] = [], out = new Map<string, string[]>()): Map<string, string[]> {
  const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.flatMap((o) => (o.long ? [o.long] : [])), '--help'];
  out.set(path.join(' '), words);
  for (const sub of cmd.commands) table(sub, [...path, sub.name()], out);
  return out;
}

/** A shell function printing the words after a command path; unknown paths fail (status 1). */
function lookup(root: Command, name: string): string {
  const lines = [...table(root)].map(([path, words]) => `    "${path}") echo "${words.join(' ')}" ;;`);
  return `${name}() {\n  case "$1" in\n${lines.join('\n')}\n    *) return 1 ;;\n  esac\n}\n`;
}

/**
 * The path is the words typed so far that are not flags; a positional argument or a flag's
 * value makes it unknown, and then its last word is dropped until it is known ("" always is).
 */
function bash(root: Command): string {
  return `# bash completion for clouddesk: source <(clouddesk completion bash)
${lookup(root, '_clouddesk_words')}
_clouddesk() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" w i candidates
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    [[ -n "$cmdpath" ]] && cmdpath="$cmdpath $w" || cmdpath="$w"
  done
  while ! candidates=$(_clouddesk_words "$cmdpath"); do
    [[ "$cmdpath" == *" "* ]] && cmdpath="\${cmdpath% *}" || cmdpath=""
  done
  COMPREPLY=( $(compgen -W "$candidates" -- "$cur") )
}
complete -F _clouddesk clouddesk
`;
}

function zsh(root: Command): string {
  return `#compdef clouddesk
# zsh completion for clouddesk: source <(clouddesk completion zsh)
${lookup(root, '_clouddesk_words')}
_clouddesk() {
  local cmdpath="" w candidates
  for w in "\${(@)words[2,CURRENT-1]}"; do
    [[ "$w" == -* ]] && continue
    [[ -n "$cmdpath" ]] && cmdpath="$cmdpath $w" || cmdpath="$w"
  done
  while ! candidates=$(_clouddesk_words "$cmdpath"); do
    [[ "$cmdpath" == *" "* ]] && cmdpath="\${cmdpath% *}" || cmdpath=""
  done
  compadd -- \${=candidates}
}
compdef _clouddesk clouddesk
`;
}

export function completionCommand(root: () => Command): Command {
  return new Command('completion').description('Print a shell completion script: bash or zsh')
    .argument('<SHELL>', 'bash or zsh')
    .action(local(([shell]) => {
      if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion: bash or zsh, not "${shell}"`);
      process.stdout.write(shell === 'bash' ? bash(root()) : zsh(root()));
    }));
}
