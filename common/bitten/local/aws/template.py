"""template.yaml read as CloudFormation: short tags, and the intrinsics our resources use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitten.config import PROJECT_ROOT, Settings

TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """Parse a CloudFormation/SAM YAML file; short tags become {"Ref": ..} / {"Fn::X": ..}."""
    import yaml

    class CfnLoader(yaml.SafeLoader):
        pass

    def construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    CfnLoader.add_multi_constructor("!", construct_tag)
    return yaml.load(path.read_text(), Loader=CfnLoader)  # a SafeLoader subclass


@dataclass
class TemplateResolver:
    """Resolves the intrinsics the queue/table definitions use, for one stage and region."""

    parameters: dict[str, Any]
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Return `value` with Ref / Fn::Sub / Fn::GetAtt / Fn::Join replaced by strings."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._lookup(arg, "Ref")
            if key == "Fn::GetAtt":
                return self._lookup(arg[0], arg[1])
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                return str(arg[0]).join(str(p) for p in self.resolve(arg[1]))
            if key.startswith("Fn::"):
                raise ValueError(f"local provisioning does not support {key}")
        return {k: self.resolve(v) for k, v in value.items()}

    def _lookup(self, name: str, attribute: str) -> str:
        if attribute == "Ref" and name in self.parameters:
            return str(self.parameters[name])
        try:
            return self.attributes[name][attribute]
        except KeyError:
            raise ValueError(f"cannot resolve {name}.{attribute} locally") from None

    def _sub(self, arg: Any) -> str:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref in names:
                return str(names[ref])
            name, _, attribute = ref.partition(".")
            return self._lookup(name, attribute or "Ref")

        return _SUB_VARIABLE.sub(replace, text).replace("${!", "${")


def template_parameters(template: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Parameter defaults, the stage from settings, and the pseudo parameters."""
    params = {k: v["Default"] for k, v in template.get("Parameters", {}).items() if "Default" in v}
    params.update(
        {
            "Stage": settings.bitten_stage,
            "AWS::Region": settings.aws_default_region,
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
    )
    return params
