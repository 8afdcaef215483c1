import {
  formatFieldSegment,
  formatSegment,
  matchesPath,
  type PathPattern,
  type PathSegment,
} from './json-path';

/**
 * A position in a JSON body. Paths are rendered only when asked for: most nodes
 * of a large body are compared and left without ever needing their name.
 */
export class PathNode {
  private segmentsCache?: PathSegment[];
  private pathCache?: string;
  private fieldCache?: string;

  private constructor(
    private readonly parent: PathNode | undefined,
    private readonly segment: PathSegment | undefined,
    readonly depth: number,
  ) {}

  static root(): PathNode {
    return new PathNode(undefined, undefined, 0);
  }

  child(segment: PathSegment): PathNode {
    return new PathNode(this, segment, this.depth + 1);
  }

  get segments(): PathSegment[] {
    this.segmentsCache ??=
      this.parent && this.segment ? [...this.parent.segments, this.segment] : [];
    return this.segmentsCache;
  }

  /** `$.items[id=7].price` */
  get path(): string {
    this.pathCache ??=
      this.parent && this.segment ? this.parent.path + formatSegment(this.segment) : '$';
    return this.pathCache;
  }

  /** `$.items[*].price` */
  get field(): string {
    this.fieldCache ??=
      this.parent && this.segment ? this.parent.field + formatFieldSegment(this.segment) : '$';
    return this.fieldCache;
  }

  matches(pattern: PathPattern): boolean {
    return (
      (pattern.depth === undefined || pattern.depth === this.depth) &&
      matchesPath(pattern, this.segments)
    );
  }
}
