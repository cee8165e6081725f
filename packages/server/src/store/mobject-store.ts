/**
 * Marketo objects in the store: programs (channel, tags, period costs, tokens, workspace),
 * opportunities and opportunity person roles.
 */

export interface Tag {
  type: string;
  value: string;
}

export interface ProgramCost {
  id: number;
  /** YYYY-MM */
  month: string;
  /** Canonical decimal text. */
  amount: string;
  note: string | null;
}

export interface ProgramToken {
  name: string;
  value: string;
}

export interface Program {
  id: number;
  name: string;
  /** 'Marketing Program', 'Marketing Event', ... */
  type: string;
  /** The Channel tag's value. */
  channel: string | null;
  workspaceId: number;
  workspaceName: string;
  treePath: string;
  /** Shown and updated by the asset API; empty unless set. */
  description: string;
  archived: boolean;
  crmId: string | null;
  /** Tags other than the channel, one value per tag type. */
  tags: Tag[];
  tokens: ProgramToken[];
  costs: ProgramCost[];
  createdAt: number;
  updatedAt: number;
}

/** What the seed may set on a program besides name, channel, workspace and tags. */
export interface ProgramDetails {
  type?: string;
  treePath?: string | null;
  archived?: boolean;
  crmId?: string | null;
  tokens?: ProgramToken[];
  description?: string;
}

export interface ExternalKey {
  /** The attrib name the key was given with (the external system's field name). */
  name: string;
  value: string;
}

export interface CompanyRef {
  id: number | null;
  key: string | null;
}

export interface Opportunity {
  id: number;
  externalKey: ExternalKey | null;
  name: string;
  /** Canonical field values by field name (not Name). */
  attributes: Record<string, string>;
  company: CompanyRef | null;
  createdAt: number;
  updatedAt: number;
}

export type NewOpportunity = Omit<Opportunity, 'id'>;

export interface OpportunityRole {
  id: number;
  externalKey: ExternalKey | null;
  opportunityId: number;
  leadId: number;
  role: string;
  isPrimary: boolean;
  externalCreatedDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewOpportunityRole = Omit<OpportunityRole, 'id'>;

export interface RoleFilter {
  opportunityIds?: readonly number[];
  leadIds?: readonly number[];
}

export interface MObjectReader {
  /** Up to `limit` programs with id > afterId, in id order. */
  scanPrograms(afterId: number, limit: number): Promise<Program[]>;
  getProgram(id: number): Promise<Program | undefined>;
  /** Every (type, value) tag and every channel some program carries: the tags that "exist". */
  knownTags(): Promise<Tag[]>;
  scanOpportunities(afterId: number, limit: number): Promise<Opportunity[]>;
  getOpportunity(id: number): Promise<Opportunity | undefined>;
  findOpportunityByKey(value: string): Promise<Opportunity | undefined>;
  scanOpportunityRoles(afterId: number, limit: number): Promise<OpportunityRole[]>;
  getOpportunityRole(id: number): Promise<OpportunityRole | undefined>;
  findOpportunityRoleByKey(value: string): Promise<OpportunityRole | undefined>;
  /** The role linking a lead to an opportunity in a role, if any (the natural key of a role). */
  findOpportunityRoleFor(opportunityId: number, leadId: number, role: string): Promise<OpportunityRole | undefined>;
  /** Roles matching every given filter, in id order. */
  listOpportunityRoles(filter: RoleFilter): Promise<OpportunityRole[]>;
}

export interface MObjectStore extends MObjectReader {
  setProgramDetails(id: number, details: ProgramDetails, at: number): Promise<void>;
  /** Replaces the channel and the tags of a program. */
  setProgramTags(id: number, channel: string | null, tags: readonly Tag[], at: number): Promise<void>;
  addProgramCost(programId: number, cost: Omit<ProgramCost, 'id'>, at: number): Promise<number>;
  updateProgramCost(programId: number, cost: ProgramCost, at: number): Promise<void>;
  insertOpportunity(o: NewOpportunity): Promise<Opportunity>;
  updateOpportunity(o: Opportunity): Promise<void>;
  /** Deletes an opportunity and its person roles. */
  deleteOpportunity(id: number): Promise<void>;
  insertOpportunityRole(r: NewOpportunityRole): Promise<OpportunityRole>;
  updateOpportunityRole(r: OpportunityRole): Promise<void>;
  deleteOpportunityRole(id: number): Promise<void>;
}
