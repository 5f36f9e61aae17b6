import { describe, expect, it } from 'vitest';
import { TicketStateCategory } from './ticket-record.js';
import { foldWords, stateCategoryOf } from './ticket-state.js';

const { OPEN, RESOLVED, CLOSED, UNKNOWN } = TicketStateCategory;

describe('the category of a desk’s state', () => {
  it('reads the state names of each desk in each language, accents and case folded', () => {
    expect(['New', 'In Progress', 'On Hold', 'Em atendimento (atribuído)', 'Pendente', 'Tareas por hacer', 'En cours (Attribué)', 'pending'].map((s) => stateCategoryOf(s))).toEqual(
      Array(8).fill(OPEN),
    );
    expect(['Resolved', 'Solucionado', 'Résolu', 'Erledigt', 'solved', 'Finalizado'].map((s) => stateCategoryOf(s))).toEqual(Array(6).fill(RESOLVED));
    expect(['Closed', 'Fechado', 'Clos', 'Geschlossen', 'Cerrado', 'Canceled'].map((s) => stateCategoryOf(s))).toEqual(Array(6).fill(CLOSED));
  });

  it('lets the desk’s own status category decide, a workflow’s own state names included', () => {
    expect(stateCategoryOf('Deployed', 'Done')).toBe(RESOLVED);
    expect(stateCategoryOf('Completado', 'Listo')).toBe(RESOLVED);
    expect(stateCategoryOf('Esperando al cliente', 'En curso')).toBe(OPEN);
    // A category it does not know leaves the decision to the state name.
    expect(stateCategoryOf('Closed', 'Whatever')).toBe(CLOSED);
  });

  it('calls no state open and a state nobody knows UNKNOWN, never a guess', () => {
    expect(stateCategoryOf(undefined)).toBe(OPEN);
    expect(stateCategoryOf('  ')).toBe(OPEN);
    expect(stateCategoryOf('Parked')).toBe(UNKNOWN);
  });

  it('folds words for comparison', () => {
    expect(foldWords('  Em atendimento (atribuído) ')).toBe('em atendimento atribuido');
    expect(foldWords('Mär.')).toBe('mar');
  });
});
